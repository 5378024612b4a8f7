//! The instance actor's key pair.

use super::{schema::site_keys, DbConn};
use diesel::prelude::*;

/// (public key PEM, private key PEM), if generated already.
pub fn keys(conn: &mut DbConn) -> QueryResult<Option<(String, String)>> {
    site_keys::table
        .find(1)
        .select((site_keys::public_key_pem, site_keys::private_key_pem))
        .first(conn)
        .optional()
}

pub fn insert_keys(conn: &mut DbConn, public_pem: &str, private_pem: &str) -> QueryResult<()> {
    diesel::insert_into(site_keys::table)
        .values((
            site_keys::id.eq(1),
            site_keys::public_key_pem.eq(public_pem),
            site_keys::private_key_pem.eq(private_pem),
            site_keys::created_at.eq(super::now()),
        ))
        .execute(conn)
        .map(|_| ())
}
