package io.vendorlink.core.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sandbox's fault switches: named values set from {@code vendorlink.sandbox.<vendor>.faults.<name>} at start, by the
 * admin endpoint ({@code POST /__admin/faults?name=value}) or by tests. A switch is off when absent, empty or
 * {@code false}. Counted switches ({@code "3"}) fire that many times and then turn themselves off; a word with a count
 * ({@code "truncated-xml:2"}) is counted the same way, its {@link #value} keeping the count suffix.
 */
public final class FaultSwitches {
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> remaining = new ConcurrentHashMap<>();

    public void set(String name, String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("false") || value.equals("0")) {
            clear(name);
            return;
        }
        values.put(name, value);
        if (value.chars().allMatch(Character::isDigit)) {
            remaining.put(name, new AtomicInteger(Integer.parseInt(value)));
        } else if (value.matches(".*\\D.*:\\d{1,9}")) {
            remaining.put(name, new AtomicInteger(Integer.parseInt(value.substring(value.lastIndexOf(':') + 1))));
        } else {
            remaining.remove(name);
        }
    }

    public void clear(String name) {
        values.remove(name);
        remaining.remove(name);
    }

    public void clearAll() {
        values.clear();
        remaining.clear();
    }

    public boolean isOn(String name) {
        return values.containsKey(name);
    }

    public String value(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * Whether the switch fires for this request: boolean switches fire every time; counted switches fire while their
     * count lasts, then turn off.
     */
    public boolean fire(String name) {
        if (!values.containsKey(name)) {
            return false;
        }
        AtomicInteger left = remaining.get(name);
        if (left == null) {
            return true;
        }
        int n = left.getAndDecrement();
        if (n <= 1) {
            clear(name);
        }
        return n >= 1;
    }

    public Map<String, String> snapshot() {
        return new TreeMap<>(values);
    }
}
