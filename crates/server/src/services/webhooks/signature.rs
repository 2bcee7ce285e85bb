//! The `Tributary-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256>` where the MAC
//! is keyed with the endpoint's secret (its text, as UTF-8 bytes) over `"<t>.<body>"`.
//! Signing the timestamp with the body lets a receiver refuse replays of an old delivery;
//! the scheme leaves room for a `v2` beside `v1` should the algorithm ever change.

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const HEADER: &str = "Tributary-Signature";

/// A new endpoint secret: 32 random bytes, hex.
pub fn new_secret() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// The header value for `body` sent at `timestamp` (unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_timestamp_and_body_with_hmac_sha256() {
        // Python: hmac.new(b"whsec", b'1700000000.{"id":"1"}', hashlib.sha256).hexdigest()
        let header = sign("whsec", 1_700_000_000, br#"{"id":"1"}"#);
        assert_eq!(
            header,
            "t=1700000000,v1=60734808e731b08d45bee887cade715d87211348f1bcb975b46c8d2e7fa5dbcd"
        );
        assert_ne!(sign("other", 1_700_000_000, br#"{"id":"1"}"#), header);
        assert_ne!(sign("whsec", 1_700_000_001, br#"{"id":"1"}"#), header);
    }

    #[test]
    fn secrets_are_32_random_bytes_in_hex() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
