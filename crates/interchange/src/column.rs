//! The description of one column of a file format. Each record kind declares its columns
//! once; import, export, the template and the documentation are all generated from them.

/// How a column takes part in an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// The header must contain the column (its cells may still be blank where the record allows).
    Required,
    /// The column may be left out of the header.
    Optional,
    /// Written by exports for information (ids, timestamps); accepted and ignored on import.
    ExportOnly,
}

/// One column of a file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Header name, lower-case snake_case (matched case-insensitively on import).
    pub name: &'static str,
    pub usage: Usage,
    /// What goes in the column, in words for the people filling in the spreadsheet.
    pub description: &'static str,
    /// A valid example cell, used for the template row.
    pub example: &'static str,
}

impl Column {
    pub const fn required(name: &'static str, description: &'static str, example: &'static str) -> Self {
        Self {
            name,
            usage: Usage::Required,
            description,
            example,
        }
    }

    pub const fn optional(name: &'static str, description: &'static str, example: &'static str) -> Self {
        Self {
            name,
            usage: Usage::Optional,
            description,
            example,
        }
    }

    pub const fn export_only(name: &'static str, description: &'static str, example: &'static str) -> Self {
        Self {
            name,
            usage: Usage::ExportOnly,
            description,
            example,
        }
    }

    pub fn is_required(&self) -> bool {
        self.usage == Usage::Required
    }

    /// Whether import reads the column's cells.
    pub fn is_imported(&self) -> bool {
        self.usage != Usage::ExportOnly
    }
}
