VACUUM FULL "Post"; -- flag: vacuum-full-or-cluster
CLUSTER "Post" USING "Post_pkey"; -- flag: vacuum-full-or-cluster
