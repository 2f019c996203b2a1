package dev.tidemark.cli;

import dev.tidemark.ErrorCode;
import dev.tidemark.Migrator;
import dev.tidemark.TidemarkException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reset", description = {
        "Drops everything in the target schema and applies all migrations again: for development and CI databases.",
        "Refuses unless both --force is given and " + Settings.ALLOW_RESET + "=true is set."})
final class ResetCommand extends DatabaseCommand {

    @Option(names = "--force", description = "Confirm that the schema's data may be destroyed.")
    boolean force;

    ResetCommand(CliContext context) {
        super(context);
    }

    @Override
    int execute() throws Exception {
        if (!force) {
            throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to reset: it drops every table and all"
                    + " data in the target schema. If that is what you want, pass --force and set "
                    + Settings.ALLOW_RESET + "=true in the environment.");
        }
        if (!"true".equalsIgnoreCase(context.env(Settings.ALLOW_RESET))) {
            throw new TidemarkException(ErrorCode.RESET_REFUSED, "Refusing to reset although --force was given,"
                    + " because " + Settings.ALLOW_RESET + " is not 'true' in this environment. Set it only where"
                    + " wiping the database is acceptable (development, CI), never in production manifests.");
        }
        Migrator migrator = migrator();
        Method reset = resetMethod();
        if (reset == null) {
            throw new CliFailure(ExitCodes.FAILURE, "reset is not available in this build: its Tidemark core has no"
                    + " Migrator.reset(). Use a newer tidemark image or jar; meanwhile drop and recreate the schema"
                    + " by hand (DROP SCHEMA ... CASCADE; CREATE SCHEMA ...) and run 'tidemark deploy'.");
        }
        Object result;
        try {
            result = reset.invoke(migrator);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
        context.print("Reset schema " + migrator.schema() + " and applied all migrations again."
                + (result == null ? "" : " " + result));
        return ExitCodes.SUCCESS;
    }

    /**
     * The core gains {@code Migrator.reset()} in a later version; looked up at run time so that this command works as
     * soon as the core has it. Replace with a direct call once it is in the core this module builds against.
     */
    static Method resetMethod() {
        try {
            return Migrator.class.getMethod("reset");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
