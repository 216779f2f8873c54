"""Recording changes of the law, and the texts due for review because of them."""
