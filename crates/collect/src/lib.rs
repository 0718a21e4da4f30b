//! # volact-collect
//!
//! Gathering a Windows activation evidence bundle (`volact collect`) and analysing one on any OS
//! (`volact analyze`).
