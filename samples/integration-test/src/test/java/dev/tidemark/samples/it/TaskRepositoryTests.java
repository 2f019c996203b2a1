package dev.tidemark.samples.it;

import dev.tidemark.junit.Migrated;
import dev.tidemark.junit.TidemarkTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every test starts from the freshly migrated schema: no tasks, the seeded Inbox project, ids from 1. No cleanup code,
 * no test order.
 */
@TidemarkTest(location = "classpath:db/migrations")
class TaskRepositoryTests {

    @Migrated
    DataSource dataSource;

    TaskRepository tasks;

    @BeforeEach
    void setUp() {
        tasks = new TaskRepository(dataSource);
    }

    @Test
    void addsTheFirstTask() {
        Task task = tasks.add("Inbox", "Write the release notes", null);

        assertThat(task.id()).isEqualTo(1);
        assertThat(tasks.open()).containsExactly(task);
    }

    @Test
    void listsOpenTasksSoonestDueFirst() {
        Task later = tasks.add("Inbox", "Renew the certificate", LocalDate.of(2026, 3, 1));
        Task undated = tasks.add("Inbox", "Tidy the wiki", null);
        Task sooner = tasks.add("Inbox", "Pay the invoice", LocalDate.of(2026, 1, 15));

        assertThat(tasks.open()).containsExactly(sooner, later, undated);
    }

    @Test
    void completedTasksAreNoLongerOpen() {
        Task task = tasks.add("Inbox", "Reply to Ana", null);

        assertThat(tasks.complete(task.id())).isTrue();
        assertThat(tasks.open()).isEmpty();
        assertThat(tasks.complete(task.id() + 1)).isFalse();
    }

    @Test
    void createsProjectsOnDemandNextToTheSeededInbox() {
        tasks.add("Garden", "Plant tulips", null);
        tasks.add("Garden", "Fix the fence", null);

        assertThat(tasks.projects()).containsExactly("Garden", "Inbox");
    }
}
