package dev.tidemark.cli.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that hands each enabled event to {@link LogOutput}. The level is read at each call, not cached. */
final class CliLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    CliLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return LogOutput.isEnabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogOutput.isEnabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogOutput.isEnabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogOutput.isEnabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogOutput.isEnabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        LogOutput.write(level, name, MessageFormatter.basicArrayFormat(pattern, arguments), throwable);
    }
}
