package dev.tidemark.cli;

import dev.tidemark.Migrator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "resolve", description = {
        "Repairs the history after a failed migration (Prisma's 'migrate resolve').",
        "--rolled-back NAME when you undid its partial changes or fixed it: the next deploy runs it again.",
        "--applied NAME when you completed its changes by hand, or to baseline a database: it is recorded as applied"
                + " without running."})
final class ResolveCommand extends DatabaseCommand {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--applied", paramLabel = "NAME", required = true,
                description = "Record the migration as applied without running it.")
        String applied;

        @Option(names = "--rolled-back", paramLabel = "NAME", required = true,
                description = "Mark the migration's failed run as rolled back.")
        String rolledBack;
    }

    @Mixin
    Options.LockWait lockWait;

    ResolveCommand(CliContext context) {
        super(context);
    }

    @Override
    void configure(Migrator.Builder builder) {
        lockWait.apply(builder, this);
    }

    @Override
    int execute() {
        Migrator migrator = migrator();
        if (target.applied != null) {
            migrator.resolveApplied(target.applied);
            context.print("Migration " + target.applied + " marked as applied.");
        } else {
            migrator.resolveRolledBack(target.rolledBack);
            context.print("Migration " + target.rolledBack + " marked as rolled back; the next deploy applies it"
                    + " again.");
        }
        return ExitCodes.SUCCESS;
    }
}
