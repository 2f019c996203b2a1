package dev.tidemark.spring.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Behaves as if the jars of some packages were absent: their classes cannot be loaded and their class files cannot be
 * read as resources either (Spring reads annotations from class files), unlike Boot's FilteredClassLoader, which
 * hides classes only.
 */
final class HidingClassLoader extends ClassLoader {

    private final List<String> packages;

    HidingClassLoader(String... packages) {
        super(HidingClassLoader.class.getClassLoader());
        this.packages = List.of(packages);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (hidden(name)) {
            throw new ClassNotFoundException(name + " (hidden by the test)");
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return hidden(name.replace('/', '.')) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return hidden(name.replace('/', '.')) ? Collections.emptyEnumeration() : super.getResources(name);
    }

    private boolean hidden(String name) {
        return packages.stream().anyMatch(name::startsWith);
    }
}
