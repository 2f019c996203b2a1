package dev.tidemark.samples.it;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Tasks in projects, on the tables the migrations in {@code db/migrations} create. Plain JDBC. */
public final class TaskRepository {

    private final DataSource dataSource;

    public TaskRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds a task to a project, creating the project if needed; returns the new task. */
    public Task add(String project, String title, LocalDate dueDate) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("INSERT INTO \"Project\" (name) VALUES (?)"
                        + " ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO \"Task\" (\"projectId\", title,"
                        + " \"dueDate\") VALUES (?, ?, ?) RETURNING id")) {
            upsert.setString(1, project);
            int projectId = single(upsert);
            insert.setInt(1, projectId);
            insert.setString(2, title);
            if (dueDate == null) {
                insert.setNull(3, Types.DATE);
            } else {
                insert.setDate(3, Date.valueOf(dueDate));
            }
            return new Task(single(insert), project, title, false, dueDate);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not add task '" + title + "': " + e.getMessage(), e);
        }
    }

    /** Marks a task done; false if there is no such task. */
    public boolean complete(int taskId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE \"Task\" SET status = 'DONE' WHERE id = ?")) {
            update.setInt(1, taskId);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not complete task " + taskId + ": " + e.getMessage(), e);
        }
    }

    /** Open tasks, soonest due first, then in the order they were added. */
    public List<Task> open() {
        return list("WHERE t.status = 'OPEN' ORDER BY t.\"dueDate\" NULLS LAST, t.id");
    }

    /** Every project's name, alphabetically. */
    public List<String> projects() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT name FROM \"Project\" ORDER BY name");
                ResultSet rs = query.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list projects: " + e.getMessage(), e);
        }
    }

    private List<Task> list(String where) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT t.id, p.name, t.title,"
                        + " t.status = 'DONE', t.\"dueDate\""
                        + " FROM \"Task\" t JOIN \"Project\" p ON p.id = t.\"projectId\" " + where);
                ResultSet rs = query.executeQuery()) {
            List<Task> tasks = new ArrayList<>();
            while (rs.next()) {
                Date due = rs.getDate(5);
                tasks.add(new Task(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                        due == null ? null : due.toLocalDate()));
            }
            return tasks;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list tasks: " + e.getMessage(), e);
        }
    }

    private static int single(PreparedStatement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
