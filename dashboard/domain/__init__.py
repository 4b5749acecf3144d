"""Pure calculations and rules of the CTI plan dashboard: no Dash, no database, no pandas."""
