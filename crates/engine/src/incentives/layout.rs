//! The image's row order: blocks by (kind, bucket, seller), each sorted by (day, recording
//! order). Kind separates sales from returns because they count on different days (a
//! return on its day minus the plan's holding days); buckets are calendar months (or
//! quarters or years when months would make too many blocks). A plan's period is then a
//! few whole blocks per payee — its rows contiguous in memory and streamed, not picked out
//! of each partner's whole history — with a binary search only where the period or the
//! holding days cut a bucket.

use chrono::{Datelike, Months, NaiveDate};

use super::columns::Unsigned;
use super::image::RETURN;
use crate::days::{date_of, day_number};

/// Calendar months per bucket tried, finest first.
const BUCKET_MONTHS: [u32; 3] = [1, 3, 12];

/// Days spanned up to which a table gives each day's bucket.
const DAY_TABLE_MAX: u32 = 1 << 20;

/// Block offsets may take this many entries at any size, more only up to half an entry
/// (2 bytes) per row.
const SMALL_BLOCK_TABLE: usize = 1 << 16;

/// The first day offset of each bucket: calendar periods of the finest size whose block
/// table stays small, else a single bucket.
pub(crate) fn bucket_starts(base_day: i32, span: u32, partners: u32, rows: usize) -> Vec<u32> {
    let limit = SMALL_BLOCK_TABLE.max(rows / 2);
    for months in BUCKET_MONTHS {
        let starts = calendar_starts(base_day, span, months);
        if 2 * starts.len() * (partners as usize) < limit {
            return starts;
        }
    }
    vec![0]
}

/// Offsets (from `base_day`) of the calendar periods of `months` months that start after
/// day 0 and before `span`, after 0 itself.
fn calendar_starts(base_day: i32, span: u32, months: u32) -> Vec<u32> {
    let first = date_of(base_day);
    let month0 = first.month0() / months * months;
    let mut start = NaiveDate::from_ymd_opt(first.year(), month0 + 1, 1).expect("a month's first day");
    let mut starts = vec![0];
    loop {
        start = match start.checked_add_months(Months::new(months)) {
            Some(next) => next,
            None => return starts,
        };
        let offset = i64::from(day_number(start)) - i64::from(base_day);
        if offset >= i64::from(span) {
            return starts;
        }
        starts.push(offset as u32);
    }
}

/// Rows sorted by seller (`runs[s]..runs[s + 1]`) and by day within each, moved into block
/// order: the block offsets (`2 × buckets × partners + 1` of them) and the permutation
/// (position in block order → seller-sorted row). A counting sort: stable, so each block
/// keeps its rows' (day, recording order).
pub(crate) fn layout(runs: &[usize], day: &Unsigned, flags: &[u8], starts: &[u32], span: u32) -> (Vec<u32>, Vec<u32>) {
    let partners = runs.len() - 1;
    // Each day's bucket, looked up (a table) unless the days span centuries.
    let table: Option<Vec<u32>> = (span <= DAY_TABLE_MAX).then(|| {
        let mut table = vec![0u32; span as usize];
        for (b, (start, end)) in starts.iter().zip(starts.iter().skip(1).chain([&span])).enumerate() {
            table[*start as usize..*end as usize].fill(b as u32);
        }
        table
    });
    let bucket = |d: u32| match &table {
        Some(table) => table[d as usize] as usize,
        None => starts.partition_point(|s| *s <= d) - 1,
    };
    let buckets = starts.len();
    let block = |row: usize, seller: usize| {
        let kind = usize::from(flags[row] & RETURN != 0);
        (kind * buckets + bucket(day.get(row))) * partners + seller
    };
    // Counts per block, summed to each block's end, then counted down to its start while
    // rows are placed from the last: no second table of positions.
    let blocks = 2 * buckets * partners;
    let mut offsets = vec![0u32; blocks + 1];
    for seller in 0..partners {
        for row in runs[seller]..runs[seller + 1] {
            offsets[block(row, seller)] += 1;
        }
    }
    for k in 1..blocks {
        offsets[k] += offsets[k - 1];
    }
    let mut permutation = vec![0u32; runs[partners]];
    for seller in (0..partners).rev() {
        for row in (runs[seller]..runs[seller + 1]).rev() {
            let end = &mut offsets[block(row, seller)];
            *end -= 1;
            permutation[*end as usize] = row as u32;
        }
    }
    offsets[blocks] = runs[partners] as u32;
    (offsets, permutation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_calendar_periods_from_the_first_day() {
        let base = day_number(NaiveDate::from_ymd_opt(2025, 11, 20).unwrap());
        let starts = calendar_starts(base, 100, 1);
        // Nov 20 (0), Dec 1 (11), Jan 1 (42), Feb 1 (73).
        assert_eq!(starts, [0, 11, 42, 73]);
        assert_eq!(calendar_starts(base, 100, 3), [0, 42]);
        assert_eq!(bucket_starts(base, 100, 100_000, 1000), [0]);
    }

    #[test]
    fn rows_move_into_kind_bucket_seller_blocks_keeping_their_order() {
        // Two sellers; seller 0: days 0 (sale), 5 (return), 12 (sale); seller 1: day 3 (sale).
        let runs = [0, 3, 4];
        let mut day = Unsigned::default();
        for d in [0, 5, 12, 3] {
            day.push(d);
        }
        let flags = [0, RETURN, 0, 0];
        let (offsets, permutation) = layout(&runs, &day, &flags, &[0, 10], 20);
        // Blocks: (sale, b0, s0) [0], (sale, b0, s1) [3], (sale, b1, s0) [2], (sale, b1, s1)
        // [], (return, b0, s0) [1], then empty blocks.
        assert_eq!(permutation, [0, 3, 2, 1]);
        assert_eq!(offsets, [0, 1, 2, 3, 3, 4, 4, 4, 4]);
    }
}
