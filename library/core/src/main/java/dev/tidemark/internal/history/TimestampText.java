package dev.tidemark.internal.history;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads a {@code timestamptz} as the server sends it in text, {@code 2026-12-03 09:04:06.98057+00}, from the bytes
 * the driver received straight into an instant. pgjdbc's own conversion decodes a String and goes through a
 * {@code GregorianCalendar} per value, which made the three timestamps of each history row cost more than the rest of
 * the read. The driver keeps {@code DateStyle} at ISO (it
 * refuses a connection where it changes), so this is the form every value has, except years beyond 9999, BC dates and
 * {@code infinity}: for those {@link #parse} returns {@code null} and the caller asks the driver.
 */
final class TimestampText {

    private TimestampText() {
    }

    /** The instant, or {@code null} when the (ASCII) text is not {@code YYYY-MM-DD HH:MM:SS[.f{1,9}]±HH[:MM[:SS]]}. */
    static Instant parse(byte[] text) {
        int length = text.length;
        if (length < 22 || at(text, 4) != '-' || at(text, 7) != '-' || at(text, 10) != ' '
                || at(text, 13) != ':' || at(text, 16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (at(text, i) == '.') {
            int start = ++i;
            while (i < length && i - start < 9 && isDigit(at(text, i))) {
                nanos = nanos * 10 + (at(text, i++) - '0');
            }
            if (i == start) {
                return null;
            }
            for (int scale = i - start; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        if (i >= length || (at(text, i) != '+' && at(text, i) != '-')) {
            return null;
        }
        boolean east = at(text, i) == '+';
        int hours = digits(text, i + 1, 2);
        int minutes = 0;
        int seconds = 0;
        i += 3;
        if (i < length && at(text, i) == ':') { // a zone whose offset is not whole hours: +05:30
            minutes = digits(text, i + 1, 2);
            i += 3;
        }
        if (i < length && at(text, i) == ':') { // local mean time before a zone's standard time: +00:19:32
            seconds = digits(text, i + 1, 2);
            i += 3;
        }
        if ((hours | minutes | seconds) < 0 || i != length) {
            return null; // a part that is not two digits, or something after the offset (" BC")
        }
        int offset = hours * 3600 + minutes * 60 + seconds;
        try {
            long epochSecond = LocalDate.of(year, month, day).toEpochDay() * 86_400 + hour * 3600L + minute * 60L
                    + second - (east ? offset : -offset);
            return Instant.ofEpochSecond(epochSecond, nanos);
        } catch (DateTimeException notADate) {
            return null;
        }
    }

    /** The number written by {@code count} ASCII digits at {@code start}, or a negative number when one is not. */
    private static int digits(byte[] text, int start, int count) {
        if (start + count > text.length) {
            return -1;
        }
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = at(text, i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static char at(byte[] text, int index) {
        return (char) (text[index] & 0xff);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
