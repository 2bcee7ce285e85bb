//! Proof attached to a claim (an invoice, a photo of a signed order, a spreadsheet): at
//! most [`PROOF_LIMIT_BYTES`], of a type on the allow list, whose content really is that
//! type (a PDF starts with `%PDF-`, a PNG with its signature, a JPEG with `FF D8 FF`, text
//! is UTF-8) — so nothing executable or unexpected is stored and served back.

use sha2::{Digest, Sha256};
use tributary_domain::validation::FieldError;

/// The largest proof file accepted (5 MB).
pub const PROOF_LIMIT_BYTES: usize = 5 << 20;

/// The accepted types: content type, file extensions, and what the content starts with.
const TYPES: [(&str, &[&str], &[u8]); 5] = [
    ("application/pdf", &["pdf"], b"%PDF-"),
    ("image/png", &["png"], b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", &["jpg", "jpeg"], b"\xff\xd8\xff"),
    ("text/csv", &["csv"], b""),
    ("text/plain", &["txt"], b""),
];

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Proof {
    pub file_name: String,
    /// As the client declared it (may be blank or `application/octet-stream`).
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A proof that passed the checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedProof {
    pub file_name: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

fn refuse(message: impl Into<String>) -> FieldError {
    FieldError {
        field: "proof".into(),
        message: message.into(),
    }
}

/// The file's own name: no directories, no control characters, at most 200 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() { "proof".into() } else { cleaned }
}

/// Checks a proof against the size limit and the allow list (the declared type, or the
/// file extension when the client declared none).
pub fn check(proof: Proof) -> Result<CheckedProof, FieldError> {
    if proof.bytes.is_empty() {
        return Err(refuse("the file is empty"));
    }
    if proof.bytes.len() > PROOF_LIMIT_BYTES {
        return Err(refuse(format!(
            "the file is larger than {} MB",
            PROOF_LIMIT_BYTES >> 20
        )));
    }
    let declared = proof
        .content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let extension = proof
        .file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let found = if declared.is_empty() || declared == "application/octet-stream" {
        TYPES
            .iter()
            .find(|(_, extensions, _)| extensions.contains(&extension.as_str()))
    } else {
        TYPES.iter().find(|(name, _, _)| *name == declared)
    };
    let allowed = "PDF, PNG, JPEG, CSV or plain text";
    let Some((content_type, _, magic)) = found else {
        let what = if declared.is_empty() {
            format!(".{extension} files")
        } else {
            declared
        };
        return Err(refuse(format!("{what} are not accepted; attach {allowed}")));
    };
    let genuine = if magic.is_empty() {
        std::str::from_utf8(&proof.bytes).is_ok()
    } else {
        proof.bytes.starts_with(magic)
    };
    if !genuine {
        return Err(refuse(format!("the file's content is not {content_type}")));
    }
    Ok(CheckedProof {
        file_name: clean_name(&proof.file_name),
        content_type,
        size_bytes: proof.bytes.len() as i64,
        sha256: hex::encode(Sha256::digest(&proof.bytes)),
        bytes: proof.bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proof(name: &str, content_type: &str, bytes: &[u8]) -> Proof {
        Proof {
            file_name: name.into(),
            content_type: content_type.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn allowed_types_pass_and_are_named_by_their_content() {
        let pdf = check(proof("C:\\deals\\invoice.pdf", "application/pdf", b"%PDF-1.7 ...")).unwrap();
        assert_eq!(
            (pdf.file_name.as_str(), pdf.content_type),
            ("invoice.pdf", "application/pdf")
        );
        assert_eq!(pdf.sha256.len(), 64);
        let csv = check(proof("lines.csv", "application/octet-stream", b"sku,qty\nA,1\n")).unwrap();
        assert_eq!(csv.content_type, "text/csv");
        let text = check(proof("note.txt", "text/plain; charset=utf-8", "Größe".as_bytes())).unwrap();
        assert_eq!(text.content_type, "text/plain");
    }

    #[test]
    fn forbidden_oversized_empty_and_disguised_files_are_refused() {
        let message = |p: Proof| check(p).unwrap_err().message;
        assert!(message(proof("run.exe", "application/x-msdownload", b"MZ")).contains("not accepted"));
        assert!(message(proof("page.html", "", b"<html>")).contains(".html files are not accepted"));
        assert!(message(proof("fake.png", "image/png", b"%PDF-")).contains("not image/png"));
        assert!(message(proof("bin.txt", "text/plain", &[0xff, 0xfe, 0x00])).contains("not text/plain"));
        assert!(message(proof("none.pdf", "application/pdf", b"")).contains("empty"));
        let big = vec![b'a'; PROOF_LIMIT_BYTES + 1];
        assert!(message(proof("big.txt", "text/plain", &big)).contains("larger than 5 MB"));
    }
}
