//! Storage errors, classified so the edge can map them to the right HTTP status: a broken
//! unique or foreign-key constraint is the caller's conflict, anything else is ours.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness constraint refused the write (e.g. duplicate SKU or e-mail).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A foreign-key constraint refused the write (a referenced record does not exist or is in use).
    #[error("reference: {0}")]
    Reference(String),
    /// Stored data could not be read back into its type (a bug or manual tampering).
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &error {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    return StoreError::Conflict(db.message().to_string());
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => {
                    return StoreError::Reference(db.message().to_string());
                }
                _ => {}
            }
        }
        StoreError::Database(error)
    }
}
