//! Authentication: who is calling. Portal users sign in with a password and get a session
//! cookie (rotated at every sign-in, CSRF-protected); integrations send an API token as a
//! bearer header. Both resolve to a [`Caller`]; what the caller may do is the policy's job.

mod caller;
pub mod csrf;
pub mod password;
pub mod secret;
pub mod session;
pub mod throttle;

pub use caller::{Caller, Credential};
