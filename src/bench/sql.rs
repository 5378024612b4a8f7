//! Fast bulk writes for seeding: multi-row `INSERT`s written as SQL text
//! (no bind parameters, so no per-statement variable limit), in large
//! transactions. The same text runs on SQLite and PostgreSQL.

use crate::db::DbConn;
use chrono::{DateTime, NaiveDateTime};
use diesel::connection::SimpleConnection;

/// Rows per `INSERT` statement.
const ROWS_PER_STATEMENT: usize = 500;
/// Rows per transaction.
const ROWS_PER_TRANSACTION: usize = 100_000;

/// One table's pending rows; [`Writer::flush`] writes them.
struct Table {
    name: &'static str,
    columns: &'static str,
    rows: Vec<String>,
}

/// Collects rows per table and writes them in batches, committing every
/// [`ROWS_PER_TRANSACTION`] rows.
pub struct Writer<'a> {
    conn: &'a mut DbConn,
    tables: Vec<Table>,
    since_commit: usize,
    pub written: u64,
}

impl<'a> Writer<'a> {
    pub fn new(conn: &'a mut DbConn) -> Result<Writer<'a>, String> {
        conn.batch_execute("BEGIN")
            .map_err(|e| format!("seed: {e}"))?;
        Ok(Writer {
            conn,
            tables: vec![],
            since_commit: 0,
            written: 0,
        })
    }

    /// Name tables in the order they must be written (parents before
    /// children, for PostgreSQL's foreign keys); tables not named here go
    /// after, in the order their first rows came.
    pub fn declare(&mut self, order: &[&'static str]) {
        for name in order {
            if !self.tables.iter().any(|t| t.name == *name) {
                self.tables.push(Table {
                    name,
                    columns: "",
                    rows: vec![],
                });
            }
        }
    }

    /// Add one row (its values already written as SQL literals, see [`q`],
    /// [`b`], [`ts`], [`NULL`]) to `table`, whose columns are `columns`.
    pub fn row(
        &mut self,
        table: &'static str,
        columns: &'static str,
        values: String,
    ) -> Result<(), String> {
        let index = match self.tables.iter().position(|t| t.name == table) {
            Some(i) => i,
            None => {
                self.tables.push(Table {
                    name: table,
                    columns,
                    rows: Vec::with_capacity(ROWS_PER_STATEMENT),
                });
                self.tables.len() - 1
            }
        };
        self.tables[index].columns = columns;
        self.tables[index].rows.push(values);
        if self.tables[index].rows.len() >= ROWS_PER_STATEMENT {
            // Every table, in the order first named: parents before children.
            self.flush()?;
        }
        Ok(())
    }

    fn write_table(&mut self, index: usize) -> Result<(), String> {
        let table = &mut self.tables[index];
        if table.rows.is_empty() {
            return Ok(());
        }
        let n = table.rows.len();
        let mut sql = String::with_capacity(n * 200);
        sql.push_str("INSERT INTO ");
        sql.push_str(table.name);
        sql.push_str(" (");
        sql.push_str(table.columns);
        sql.push_str(") VALUES ");
        for (i, row) in table.rows.drain(..).enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(&row);
            sql.push(')');
        }
        let name = table.name;
        self.conn
            .batch_execute(&sql)
            .map_err(|e| format!("seed: inserting into {name}: {e}"))?;
        self.written += n as u64;
        self.since_commit += n;
        if self.since_commit >= ROWS_PER_TRANSACTION {
            self.conn
                .batch_execute("COMMIT; BEGIN")
                .map_err(|e| format!("seed: commit: {e}"))?;
            self.since_commit = 0;
        }
        Ok(())
    }

    /// Write every pending row of every table, in the order the tables were
    /// first named (parents before children, for foreign keys).
    pub fn flush(&mut self) -> Result<(), String> {
        for i in 0..self.tables.len() {
            self.write_table(i)?;
        }
        Ok(())
    }

    /// Flush and commit.
    pub fn finish(mut self) -> Result<u64, String> {
        self.flush()?;
        self.conn
            .batch_execute("COMMIT")
            .map_err(|e| format!("seed: commit: {e}"))?;
        Ok(self.written)
    }

    pub fn backend_is_postgres(&self) -> bool {
        matches!(self.conn, DbConn::Pg(_))
    }

    /// Run SQL directly (after flushing what is pending).
    pub fn execute(&mut self, sql: &str) -> Result<(), String> {
        self.flush()?;
        self.conn
            .batch_execute(sql)
            .map_err(|e| format!("seed: {sql}: {e}"))
    }
}

pub const NULL: &str = "NULL";

/// A string literal.
pub fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An optional string literal.
pub fn oq(s: Option<&str>) -> String {
    s.map_or_else(|| NULL.to_string(), q)
}

/// A boolean literal (SQLite reads TRUE and FALSE as 1 and 0, as diesel stores them).
pub fn b(v: bool) -> &'static str {
    if v {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// A timestamp literal for a time in milliseconds since the epoch, in the
/// text form diesel writes on SQLite (`%F %T%.f`), which
/// PostgreSQL reads as a `TIMESTAMP` too.
pub fn ts(millis: i64) -> String {
    let t: NaiveDateTime = DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .naive_utc();
    format!("'{}'", t.format("%F %T%.f"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(q("it's"), "'it''s'");
        assert_eq!(oq(None), "NULL");
        assert_eq!(ts(0), "'1970-01-01 00:00:00'");
        assert_eq!(ts(1_500), "'1970-01-01 00:00:01.500'");
    }
}
