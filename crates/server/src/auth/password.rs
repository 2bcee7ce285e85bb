//! Password hashing with argon2id (the crate's default parameters, PHC string format).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid default parameters cannot fail")
        .to_string()
}

/// Whether `password` matches the stored PHC hash; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to verify against when the user does not exist, so timing does not reveal it.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password that matches nothing"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_verify_and_are_argon2id() {
        let stored = super::hash("correct horse battery");
        assert!(stored.starts_with("$argon2id$"));
        assert!(super::verify("correct horse battery", &stored));
        assert!(!super::verify("wrong", &stored));
        assert!(!super::verify("x", "not a hash"));
    }
}
