"""Accessible publishing pipeline for patient health information."""
