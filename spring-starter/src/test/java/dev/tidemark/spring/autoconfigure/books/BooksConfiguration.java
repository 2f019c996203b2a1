package dev.tidemark.spring.autoconfigure.books;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/** Registers this package for JPA entity scanning in ApplicationContextRunner tests. */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class BooksConfiguration {
}
