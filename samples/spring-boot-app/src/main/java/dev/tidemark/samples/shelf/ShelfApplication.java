package dev.tidemark.samples.shelf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A small JPA application whose schema comes from Prisma-format migrations in {@code db/migrations}: adding the
 * Tidemark starter is all it takes to have them applied at startup, before Hibernate validates the entities.
 *
 * <p>Each run shelves one book (the title is the first argument, if any), reviews it, and prints the shelf.
 */
@SpringBootApplication
public class ShelfApplication {

    private static final Logger log = LoggerFactory.getLogger(ShelfApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(ShelfApplication.class, args);
    }

    @Bean
    ApplicationRunner shelveABook(BookRepository books, ReviewRepository reviews, TransactionTemplate transactions) {
        return (ApplicationArguments args) -> transactions.executeWithoutResult(status -> {
            String title = args.getNonOptionArgs().isEmpty() ? "The Pragmatic Programmer"
                    : String.join(" ", args.getNonOptionArgs());
            Book book = books.save(new Book(title, "Someone Thoughtful"));
            reviews.save(new Review(book, 5, "Read it twice."));
            log.info("The shelf holds {} book(s); '{}' averages {} star(s)", books.count(), book.getTitle(),
                    reviews.averageStars(book));
        });
    }
}
