//! Random secrets (session tokens, API tokens, CSRF tokens) and their stored digests. Only
//! SHA-256 digests of bearer secrets are stored.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64 without padding.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Constant-time comparison of two secrets.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// API tokens carry a recognisable prefix so leaked tokens can be found by scanners.
pub const API_TOKEN_PREFIX: &str = "trb_";

pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", random_token())
}
