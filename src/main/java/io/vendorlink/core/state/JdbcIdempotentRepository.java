package io.vendorlink.core.state;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import javax.sql.DataSource;

/**
 * Camel {@link IdempotentRepository} on the state database, so that "the same request delivered twice" is recognised
 * across restarts and replicas. Use it from a route's {@code idempotentConsumer} as {@code #idempotencyRepository}.
 */
public final class JdbcIdempotentRepository extends ServiceSupport implements IdempotentRepository {
    private final Sql sql;
    private final String repository;

    public JdbcIdempotentRepository(DataSource dataSource, String repository) {
        this.sql = new Sql(dataSource);
        this.repository = repository;
    }

    @Override
    public boolean add(String key) {
        return sql.insertIfAbsent("idempotency repository: add key",
                "INSERT INTO vl_idempotency (repository, message_key) VALUES (?, ?)", repository, key);
    }

    @Override
    public boolean contains(String key) {
        return sql.queryOne("idempotency repository: read key",
                "SELECT 1 FROM vl_idempotency WHERE repository = ? AND message_key = ?", rs -> true, repository, key)
                .isPresent();
    }

    @Override
    public boolean remove(String key) {
        return sql.update("idempotency repository: remove key",
                "DELETE FROM vl_idempotency WHERE repository = ? AND message_key = ?", repository, key) > 0;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        sql.update("idempotency repository: clear", "DELETE FROM vl_idempotency WHERE repository = ?", repository);
    }
}
