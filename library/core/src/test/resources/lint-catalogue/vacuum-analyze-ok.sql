-- near-miss: vacuum-full-or-cluster
VACUUM (ANALYZE) "Post";
