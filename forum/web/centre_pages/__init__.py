"""The centre's pages (/about, /contact, /privacy, /terms), their editing under
/admin/pages, and consent to the privacy notice."""
