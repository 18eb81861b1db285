//! The zhnorm pipeline (placeholder).

pub mod agree;
