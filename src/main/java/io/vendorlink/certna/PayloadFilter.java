package io.vendorlink.certna;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The payload-listing filter grammar (§8, CONFIRMED): {@code column:comparator:value} items joined by {@code ;};
 * columns {@code file_name}, {@code lock_status} (Locked/Unlocked/All), {@code date_created}, {@code date_modified}
 * (dates {@code MM-dd-yyyy}); comparators Equal, Greater, GreaterEqual, Less, LessEqual, Contains, StartsWith,
 * EndsWith. The client checks a filter before sending it; the sandbox evaluates it against file attributes
 * ({@code FileName}, {@code LockStatus}, {@code DateCreated}, {@code DateModified}).
 */
public record PayloadFilter(String column, String comparator, String value) {
    private static final DateTimeFormatter DATES = DateTimeFormatter.ofPattern("MM-dd-yyyy");

public static List<PayloadFilter> parseAll(String filter) {
        List<PayloadFilter> out = new ArrayList<>();
        for (String item : filter.split(";")) {
            if (item.isBlank()) {
                continue;
            }
            String[] p = item.split(":", 3);
            if (p.length != 3) {
                throw new IllegalArgumentException("'" + item + "' is not column:comparator:value");
            }
            PayloadFilter f = new PayloadFilter(p[0].trim().toLowerCase(), p[1].trim(), p[2]);
            if (!List.of("file_name", "lock_status", "date_created", "date_modified").contains(f.column)) {
                throw new IllegalArgumentException("unknown column " + p[0]);
            }
            if (!List.of("Equal", "Greater", "GreaterEqual", "Less", "LessEqual", "Contains", "StartsWith", "EndsWith")
                    .contains(f.comparator)) {
                throw new IllegalArgumentException("unknown comparator " + p[1]);
            }
            if (f.column.startsWith("date_")) {
                try {
                    LocalDate.parse(f.value, DATES); // dates are MM-dd-yyyy (§8)
                } catch (java.time.DateTimeException e) {
                    throw new IllegalArgumentException("date '" + f.value + "' is not MM-dd-yyyy");
                }
            }
            out.add(f);
        }
        return out;
    }

public boolean test(Map<String, Object> file) {
        if (column.equals("lock_status") && value.equalsIgnoreCase("All")) {
            return true;
        }
        String actual = switch (column) {
            case "file_name" -> (String) file.get("FileName");
            case "lock_status" -> (String) file.get("LockStatus");
            case "date_created" -> LocalDate.parse(((String) file.get("DateCreated")).substring(0, 10)).format(DATES);
            default -> LocalDate.parse(((String) file.get("DateModified")).substring(0, 10)).format(DATES);
        };
        int c = column.startsWith("date_")
                ? LocalDate.parse(actual, DATES).compareTo(LocalDate.parse(value, DATES))
                : actual.compareToIgnoreCase(value);
        return switch (comparator) {
            case "Equal" -> c == 0;
            case "Greater" -> c > 0;
            case "GreaterEqual" -> c >= 0;
            case "Less" -> c < 0;
            case "LessEqual" -> c <= 0;
            case "Contains" -> actual.toLowerCase().contains(value.toLowerCase());
            case "StartsWith" -> actual.toLowerCase().startsWith(value.toLowerCase());
            default -> actual.toLowerCase().endsWith(value.toLowerCase());
        };
    }
}
