//! Key pairs, password hashes, random secrets and hashes of secrets.

use super::error::{CoreError, CoreResult};
use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use openssl::{pkey::PKey, rsa::Rsa};

/// A fresh RSA-2048 key pair as (public SPKI PEM, private PKCS#8 PEM).
pub fn generate_keypair() -> CoreResult<(String, String)> {
    let rsa = Rsa::generate(2048).map_err(|e| CoreError::Internal(e.to_string()))?;
    let key = PKey::from_rsa(rsa).map_err(|e| CoreError::Internal(e.to_string()))?;
    let public = key
        .public_key_to_pem()
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    let private = key
        .private_key_to_pem_pkcs8()
        .map_err(|e| CoreError::Internal(e.to_string()))?;
    Ok((
        String::from_utf8_lossy(&public).into_owned(),
        String::from_utf8_lossy(&private).into_owned(),
    ))
}

/// An Argon2id hash of `password`.
pub fn hash_password(password: &str) -> CoreResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| CoreError::Internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random URL-safe secret with `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    openssl::rand::rand_bytes(&mut buf).expect("the system random source works");
    URL_SAFE_NO_PAD.encode(buf)
}

/// `bytes` random bytes as lowercase hex (names of stored files).
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    openssl::rand::rand_bytes(&mut buf).expect("the system random source works");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256 of a secret, as stored.
pub fn sha256_hex(secret: &str) -> String {
    openssl::sha::sha256(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The PKCE S256 challenge of a verifier.
pub fn pkce_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(openssl::sha::sha256(verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SECURITY.md API 6 (Argon2id; the rest in
    /// `tests/it/oauth_security.rs`): passwords are hashed with Argon2id.
    #[test]
    fn passwords_verify_only_when_right() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn pkce_s256_is_base64url_sha256() {
        // Expected value computed independently (Python hashlib + base64).
        assert_eq!(
            pkce_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gXFG2ES-c"),
            "u3wKYvKaNchauWoAUL0t82Bc_5ZzMC0tYA-uCf0wckg"
        );
    }

    #[test]
    fn keypairs_are_pem() {
        let (public, private) = generate_keypair().unwrap();
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
    }
}
