"""Research priorities: a James Lind Alliance style priority-setting."""
