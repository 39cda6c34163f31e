package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * {@code regexp_like(text, pattern)}, with which an erasure finds the texts that write the person's phone
 * ({@code PersonalDataErasures.TextSearch#regexLike}): H2 and PostgreSQL 15 and later have it; on an earlier PostgreSQL
 * this adds it as the {@code ~} operator it stands for. In Java because whether to add it depends on the server.
 */
public class V76__regexp_like extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        if (db.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
            return;
        }
        try (Statement s = db.createStatement();
                ResultSet has = s.executeQuery("select to_regprocedure('regexp_like(text,text)') is not null")) {
            has.next();
            if (has.getBoolean(1)) {
                return;
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute("create function regexp_like(text, text) returns boolean language sql immutable strict"
                    + " as 'select $1 ~ $2'");
        }
    }
}
