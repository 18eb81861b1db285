//! The zhnorm pipeline (placeholder).
