package dev.tidemark.junit;

/**
 * When a {@link TidemarkTest} database goes back to its freshly migrated state.
 *
 * @since 0.1
 */
public enum Reset {

    /**
     * Before every test method: its rows are deleted, the migrations' own rows (seed rows) restored and sequences
     * restarted, in a few milliseconds. The default. Test methods running in parallel get a database each.
     */
    PER_METHOD,

    /**
     * Once before the test class: its methods share the data they write, so the database can also be used in
     * {@code @BeforeAll} and static fields.
     */
    PER_CLASS,

    /**
     * A database of its own for the test class, copied from the migrated template and dropped after the class: for
     * tests that change the schema itself, which a data reset does not undo. Costs a database copy (typically under
     * a second) per class.
     */
    NEW_DATABASE_PER_CLASS
}
