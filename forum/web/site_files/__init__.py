"""The small public files at the site's root: the favicon, robots.txt, the sitemap."""
