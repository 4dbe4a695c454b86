package io.vendorlink.core.sandbox;

/** Answers requests under one path prefix of a sandbox. */
@FunctionalInterface
public interface SandboxHandler {
    void handle(SandboxExchange exchange) throws Exception;
}
