"""CTI plan dashboard: monitoring of the Centres Techniques Industriels development plan."""
