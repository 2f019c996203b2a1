package dev.tidemark.samples.it;

import java.time.LocalDate;

/** A task in a project; {@code dueDate} may be {@code null}. */
public record Task(int id, String project, String title, boolean done, LocalDate dueDate) {
}
