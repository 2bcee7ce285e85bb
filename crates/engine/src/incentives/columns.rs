//! Integer columns in the narrowest width that holds every value. A transaction image is a
//! dozen such columns, so their widths decide both its memory (bytes per transaction) and
//! the bytes a close streams: most quantities fit a byte, most days and product ids two,
//! most amounts four. Recording starts narrow and widens a column once, when a value first
//! needs it; built columns are made at the width their largest value needs.

use std::ops::Range;

use rayon::prelude::*;

use crate::build::runs_mut;

/// Non-negative integers (ids, day offsets): 8, 16 or 32 bits.
#[derive(Debug, Clone)]
pub(crate) enum Unsigned {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

/// Signed integers (amounts, costs, quantities, recorded days): 8, 16, 32 or 64 bits.
#[derive(Debug, Clone)]
pub(crate) enum Signed {
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
}

impl Default for Unsigned {
    fn default() -> Self {
        Unsigned::U8(Vec::new())
    }
}

impl Default for Signed {
    fn default() -> Self {
        Signed::I8(Vec::new())
    }
}

/// The values of `column` in the order `order` gives; `column` is freed once copied.
pub(crate) fn gather<T: Copy + Send + Sync>(column: Vec<T>, order: &[u32]) -> Vec<T> {
    order.par_iter().map(|i| column[*i as usize]).collect()
}

/// A copy of `values` converted element by element, with room for as many as `values` had.
fn widen<T: Copy, U: From<T>>(values: &[T], capacity: usize) -> Vec<U> {
    let mut wide = Vec::with_capacity(capacity.max(values.len()));
    wide.extend(values.iter().map(|v| U::from(*v)));
    wide
}

impl Unsigned {
    pub fn with_capacity(capacity: usize) -> Self {
        Unsigned::U8(Vec::with_capacity(capacity))
    }

    /// A column of `len` values `value(i)`, all at most `max`, computed in parallel.
    pub fn from_fn(len: usize, max: u32, value: impl Fn(usize) -> u32 + Sync) -> Self {
        let range = (0..len).into_par_iter();
        if max <= u32::from(u8::MAX) {
            Unsigned::U8(range.map(|i| value(i) as u8).collect())
        } else if max <= u32::from(u16::MAX) {
            Unsigned::U16(range.map(|i| value(i) as u16).collect())
        } else {
            Unsigned::U32(range.map(&value).collect())
        }
    }

    /// A column filled run by run in parallel: `fill(run, rows, out)` pushes the values
    /// (each at most `max`) of rows `offsets[run]..offsets[run + 1]` onto `out`.
    pub fn from_runs(offsets: &[usize], max: u32, fill: impl Fn(usize, Range<usize>, &mut Vec<u32>) + Sync) -> Self {
        if max <= u32::from(u8::MAX) {
            Unsigned::U8(fill_runs(offsets, &fill))
        } else if max <= u32::from(u16::MAX) {
            Unsigned::U16(fill_runs(offsets, &fill))
        } else {
            Unsigned::U32(fill_runs(offsets, &fill))
        }
    }

    pub fn push(&mut self, value: u32) {
        match self {
            Unsigned::U8(v) => match u8::try_from(value) {
                Ok(narrow) => v.push(narrow),
                Err(_) => {
                    *self = Unsigned::U16(widen(v, v.capacity()));
                    self.push(value);
                }
            },
            Unsigned::U16(v) => match u16::try_from(value) {
                Ok(narrow) => v.push(narrow),
                Err(_) => {
                    *self = Unsigned::U32(widen(v, v.capacity()));
                    self.push(value);
                }
            },
            Unsigned::U32(v) => v.push(value),
        }
    }

    #[inline]
    pub fn get(&self, index: usize) -> u32 {
        match self {
            Unsigned::U8(v) => u32::from(v[index]),
            Unsigned::U16(v) => u32::from(v[index]),
            Unsigned::U32(v) => v[index],
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Unsigned::U8(v) => v.len(),
            Unsigned::U16(v) => v.len(),
            Unsigned::U32(v) => v.len(),
        }
    }

    /// The values in the order `order` gives (positions into this column), same width;
    /// this column is freed as soon as they are copied. An empty column (one the image
    /// does not need) stays empty.
    pub fn gather(self, order: &[u32]) -> Self {
        let at = |i: &u32| *i as usize;
        if self.len() == 0 {
            return self;
        }
        match self {
            Unsigned::U8(v) => Unsigned::U8(order.par_iter().map(|i| v[at(i)]).collect()),
            Unsigned::U16(v) => Unsigned::U16(order.par_iter().map(|i| v[at(i)]).collect()),
            Unsigned::U32(v) => Unsigned::U32(order.par_iter().map(|i| v[at(i)]).collect()),
        }
    }

    pub fn heap_bytes(&self) -> usize {
        match self {
            Unsigned::U8(v) => v.capacity(),
            Unsigned::U16(v) => v.capacity() * 2,
            Unsigned::U32(v) => v.capacity() * 4,
        }
    }
}

/// An unsigned width a `u32` known to fit converts to.
trait Width: Copy + Default + Send + Sync {
    fn narrow(value: u32) -> Self;
}

impl Width for u8 {
    fn narrow(value: u32) -> Self {
        value as u8
    }
}

impl Width for u16 {
    fn narrow(value: u32) -> Self {
        value as u16
    }
}

impl Width for u32 {
    fn narrow(value: u32) -> Self {
        value
    }
}

fn fill_runs<T: Width>(offsets: &[usize], fill: &(impl Fn(usize, Range<usize>, &mut Vec<u32>) + Sync)) -> Vec<T> {
    let mut column = vec![T::default(); offsets.last().copied().unwrap_or(0)];
    runs_mut(&mut column, offsets)
        .into_par_iter()
        .enumerate()
        .for_each_init(Vec::new, |scratch, (run, out)| {
            scratch.clear();
            fill(run, offsets[run]..offsets[run + 1], scratch);
            debug_assert_eq!(scratch.len(), out.len());
            for (slot, value) in out.iter_mut().zip(scratch.iter()) {
                *slot = T::narrow(*value);
            }
        });
    column
}

impl Signed {
    pub fn with_capacity(capacity: usize) -> Self {
        Signed::I8(Vec::with_capacity(capacity))
    }

    pub fn push(&mut self, value: i64) {
        match self {
            Signed::I8(v) => match i8::try_from(value) {
                Ok(narrow) => v.push(narrow),
                Err(_) => {
                    *self = Signed::I16(widen(v, v.capacity()));
                    self.push(value);
                }
            },
            Signed::I16(v) => match i16::try_from(value) {
                Ok(narrow) => v.push(narrow),
                Err(_) => {
                    *self = Signed::I32(widen(v, v.capacity()));
                    self.push(value);
                }
            },
            Signed::I32(v) => match i32::try_from(value) {
                Ok(narrow) => v.push(narrow),
                Err(_) => {
                    *self = Signed::I64(widen(v, v.capacity()));
                    self.push(value);
                }
            },
            Signed::I64(v) => v.push(value),
        }
    }

    #[inline]
    pub fn get(&self, index: usize) -> i64 {
        match self {
            Signed::I8(v) => i64::from(v[index]),
            Signed::I16(v) => i64::from(v[index]),
            Signed::I32(v) => i64::from(v[index]),
            Signed::I64(v) => v[index],
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Signed::I8(v) => v.len(),
            Signed::I16(v) => v.len(),
            Signed::I32(v) => v.len(),
            Signed::I64(v) => v.len(),
        }
    }

    /// The values in the order `order` gives (positions into this column), same width;
    /// this column is freed as soon as they are copied.
    pub fn gather(self, order: &[u32]) -> Self {
        let at = |i: &u32| *i as usize;
        match self {
            Signed::I8(v) => Signed::I8(order.par_iter().map(|i| v[at(i)]).collect()),
            Signed::I16(v) => Signed::I16(order.par_iter().map(|i| v[at(i)]).collect()),
            Signed::I32(v) => Signed::I32(order.par_iter().map(|i| v[at(i)]).collect()),
            Signed::I64(v) => Signed::I64(order.par_iter().map(|i| v[at(i)]).collect()),
        }
    }

    /// The smallest and largest value, if any.
    pub fn min_max(&self) -> Option<(i64, i64)> {
        let len = self.len();
        (len > 0).then(|| {
            (0..len)
                .into_par_iter()
                .map(|i| {
                    let v = self.get(i);
                    (v, v)
                })
                .reduce(|| (i64::MAX, i64::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)))
        })
    }

    pub fn heap_bytes(&self) -> usize {
        match self {
            Signed::I8(v) => v.capacity(),
            Signed::I16(v) => v.capacity() * 2,
            Signed::I32(v) => v.capacity() * 4,
            Signed::I64(v) => v.capacity() * 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_widen_once_a_value_needs_it_and_keep_every_value() {
        let mut s = Signed::with_capacity(4);
        for v in [1, -3, 200, -70_000, i64::MIN, 5] {
            s.push(v);
        }
        assert!(matches!(s, Signed::I64(_)));
        assert_eq!(
            (0..s.len()).map(|i| s.get(i)).collect::<Vec<_>>(),
            [1, -3, 200, -70_000, i64::MIN, 5]
        );
        assert_eq!(s.min_max(), Some((i64::MIN, 200)));
        let mut u = Unsigned::default();
        u.push(7);
        assert!(matches!(u, Unsigned::U8(_)));
        u.push(300);
        assert!(matches!(u, Unsigned::U16(_)));
        u.push(70_000);
        assert_eq!((0..u.len()).map(|i| u.get(i)).collect::<Vec<_>>(), [7, 300, 70_000]);
        assert_eq!(u.clone().gather(&[2, 0]).get(0), 70_000);
        let built = Unsigned::from_fn(3, 40_000, |i| i as u32 * 20_000);
        assert!(matches!(built, Unsigned::U16(_)));
        assert_eq!(built.get(2), 40_000);
    }
}
