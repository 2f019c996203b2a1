package dev.tidemark.samples.shelf;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ReviewRepository extends JpaRepository<Review, Long> {

    @Query("select avg(r.stars) from Review r where r.book = ?1")
    Double averageStars(Book book);
}
