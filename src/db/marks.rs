//! Marks an account puts on statuses: bookmarks (private to the account)
//! and pins (statuses featured on the author's profile). Both tables have
//! the same shape, so their queries are made by one macro.

macro_rules! status_marks {
    ($module:ident, $doc:literal) => {
        #[doc = $doc]
        pub mod $module {
            use crate::db::{schema::$module as table, DbConn, Page};
            use diesel::prelude::*;

            /// Mark `status_id` for `account_id`; false if it was already marked.
            pub fn insert(
                conn: &mut DbConn,
                id: i64,
                account_id: i64,
                status_id: i64,
            ) -> QueryResult<bool> {
                if exists(conn, account_id, status_id)? {
                    return Ok(false);
                }
                diesel::insert_into(table::table)
                    .values((
                        table::id.eq(id),
                        table::account_id.eq(account_id),
                        table::status_id.eq(status_id),
                        table::created_at.eq(crate::db::now()),
                    ))
                    .execute(conn)
                    .map(|_| true)
            }

            /// Remove the mark; false if there was none.
            pub fn delete(conn: &mut DbConn, account_id: i64, status_id: i64) -> QueryResult<bool> {
                diesel::delete(
                    table::table
                        .filter(table::account_id.eq(account_id))
                        .filter(table::status_id.eq(status_id)),
                )
                .execute(conn)
                .map(|n| n > 0)
            }

            pub fn exists(conn: &mut DbConn, account_id: i64, status_id: i64) -> QueryResult<bool> {
                diesel::select(diesel::dsl::exists(
                    table::table
                        .filter(table::account_id.eq(account_id))
                        .filter(table::status_id.eq(status_id)),
                ))
                .get_result(conn)
            }

            /// Which of `status_ids` `account_id` marked.
            pub fn marked(
                conn: &mut DbConn,
                account_id: i64,
                status_ids: &[i64],
            ) -> QueryResult<Vec<i64>> {
                table::table
                    .filter(table::account_id.eq(account_id))
                    .filter(table::status_id.eq_any(status_ids))
                    .select(table::status_id)
                    .load(conn)
            }

            pub fn count(conn: &mut DbConn, account_id: i64) -> QueryResult<i64> {
                table::table
                    .filter(table::account_id.eq(account_id))
                    .count()
                    .get_result(conn)
            }

            /// An account's marks: (mark id, status id), newest first.
            pub fn list(
                conn: &mut DbConn,
                account_id: i64,
                page: &Page,
            ) -> QueryResult<Vec<(i64, i64)>> {
                let q = table::table
                    .filter(table::account_id.eq(account_id))
                    .select((table::id, table::status_id))
                    .into_boxed();
                crate::load_page!(q, table::id, page, conn)
            }
        }
    };
}

status_marks!(
    bookmarks,
    "Statuses an account keeps for later (never federated)."
);
status_marks!(pins, "Statuses an author features on their profile.");
