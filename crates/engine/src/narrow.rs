//! Integer columns stored in the narrowest width that holds every value. Net revenue
//! reads an amount and a rate slot per sale, so the bytes per sale decide its speed:
//! amounts that fit 32 bits and fewer than 65,536 rate slots halve the memory it streams.

/// Sale amounts in minor units: 32-bit when all of them fit.
#[derive(Debug)]
pub(crate) enum Amounts {
    I32(Vec<i32>),
    I64(Vec<i64>),
}

/// Rate slots: 16-bit when there are few enough.
#[derive(Debug)]
pub(crate) enum Slots {
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Default for Amounts {
    fn default() -> Self {
        Amounts::I32(Vec::new())
    }
}

impl Default for Slots {
    fn default() -> Self {
        Slots::U16(Vec::new())
    }
}

impl Amounts {
    pub fn new(values: Vec<i64>) -> Amounts {
        match values
            .iter()
            .map(|v| i32::try_from(*v))
            .collect::<Result<Vec<i32>, _>>()
        {
            Ok(narrow) => Amounts::I32(narrow),
            Err(_) => Amounts::I64(values),
        }
    }

    pub fn get(&self, index: usize) -> i64 {
        match self {
            Amounts::I32(v) => i64::from(v[index]),
            Amounts::I64(v) => v[index],
        }
    }

    /// The largest magnitude held.
    pub fn max_abs(&self) -> u64 {
        match self {
            Amounts::I32(v) => v.iter().map(|a| u64::from(a.unsigned_abs())).max().unwrap_or(0),
            Amounts::I64(v) => v.iter().map(|a| a.unsigned_abs()).max().unwrap_or(0),
        }
    }
}

impl Slots {
    pub fn new(values: Vec<u32>) -> Slots {
        match values
            .iter()
            .map(|v| u16::try_from(*v))
            .collect::<Result<Vec<u16>, _>>()
        {
            Ok(narrow) => Slots::U16(narrow),
            Err(_) => Slots::U32(values),
        }
    }

    pub fn get(&self, index: usize) -> u32 {
        match self {
            Slots::U16(v) => u32::from(v[index]),
            Slots::U32(v) => v[index],
        }
    }
}

/// An amount as a wide signed integer.
pub(crate) trait Amount: Copy {
    fn wide(self) -> i64;
}

impl Amount for i32 {
    fn wide(self) -> i64 {
        i64::from(self)
    }
}

impl Amount for i64 {
    fn wide(self) -> i64 {
        self
    }
}

/// A slot as an index.
pub(crate) trait Slot: Copy {
    fn index(self) -> usize;
}

impl Slot for u16 {
    fn index(self) -> usize {
        usize::from(self)
    }
}

impl Slot for u32 {
    fn index(self) -> usize {
        self as usize
    }
}
