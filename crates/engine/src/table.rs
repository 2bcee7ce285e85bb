//! Metric values as columns: one column per metric of the structure, one row per partner
//! evaluated. Evaluation and simulation read single cells; [`MetricTable::row`] rebuilds
//! the reference's per-partner map when a caller needs it (snapshots, progress cards).

use tributary_domain::tiering::{MetricValue, MetricValues};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricTable {
    /// The metric keys, in the structure's order.
    pub keys: Vec<String>,
    /// `columns[metric][row]`; `None` where the metric has no value.
    pub columns: Vec<Vec<Option<MetricValue>>>,
}

impl MetricTable {
    /// Rows (partners).
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One row as the reference's map (a key defined twice keeps its last value).
    pub fn row(&self, row: usize) -> MetricValues {
        let mut values = MetricValues::new();
        for (key, column) in self.keys.iter().zip(&self.columns) {
            if let Some(value) = column[row] {
                values.insert(key.clone(), value);
            }
        }
        values
    }

    /// The columns holding `key` (more than one only in a structure that defines it twice).
    pub fn columns_of(&self, key: &str) -> Vec<usize> {
        self.keys
            .iter()
            .enumerate()
            .filter(|(_, k)| *k == key)
            .map(|(i, _)| i)
            .collect()
    }

    /// The value of a key in a row, as [`MetricTable::row`] would give it.
    pub fn value(&self, columns: &[usize], row: usize) -> Option<MetricValue> {
        columns.iter().rev().find_map(|c| self.columns[*c][row])
    }
}
