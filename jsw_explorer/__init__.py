"""Shared code for the justice social work review explorer."""
