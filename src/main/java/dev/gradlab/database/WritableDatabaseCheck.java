package dev.gradlab.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Refuses to start on an H2 database it cannot write. H2 opens a file it may not write (permissions, a read-only
 * mount) read-only without a word: the service would start, show every job, and answer every submission 503.
 * Checked while the context starts, before the queue runs; {@link ReadOnlyDatabaseFailureAnalyzer} says what to
 * do. (A file that stops being writable later, a full disk, is an outage like any other: 503, jobs wait.)
 */
@Component
class WritableDatabaseCheck implements InitializingBean {

    private final DataSource dataSource;

    WritableDatabaseCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!"H2".equals(c.getMetaData().getDatabaseProductName())) {
                return; // PostgreSQL reports a standby's refusal per statement (25006), as an outage
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select readonly()")) {
                if (rs.next() && rs.getBoolean(1)) {
                    throw new ReadOnlyDatabaseException(c.getMetaData().getURL());
                }
            }
        }
    }
}
