package io.vendorlink.core.state;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Camel {@link IdempotentRepository} on the state database, so that "the same request delivered twice" is recognised
 * across restarts and replicas. Use it from a route's {@code idempotentConsumer} as {@code #idempotencyRepository}.
 */
public final class JdbcIdempotentRepository extends ServiceSupport implements IdempotentRepository {
    private final DataSource dataSource;
    private final String repository;

    public JdbcIdempotentRepository(DataSource dataSource, String repository) {
        this.dataSource = dataSource;
        this.repository = repository;
    }

    @Override
    public boolean add(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO vl_idempotency (repository, message_key) VALUES (?, ?)")) {
            ps.setString(1, repository);
            ps.setString(2, key);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw new IllegalStateException("idempotency repository: cannot add key", e);
        }
    }

    @Override
    public boolean contains(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM vl_idempotency WHERE repository = ? AND message_key = ?")) {
            ps.setString(1, repository);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency repository: cannot read key", e);
        }
    }

    @Override
    public boolean remove(String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM vl_idempotency WHERE repository = ? AND message_key = ?")) {
            ps.setString(1, repository);
            ps.setString(2, key);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency repository: cannot remove key", e);
        }
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM vl_idempotency WHERE repository = ?")) {
            ps.setString(1, repository);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("idempotency repository: cannot clear", e);
        }
    }
}
