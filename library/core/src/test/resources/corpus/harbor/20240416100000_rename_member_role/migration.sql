-- The enum was renamed in schema.prisma (@@map kept the table names); rename the type instead of recreating it.
ALTER TYPE "MemberRole" RENAME TO "WorkspaceRole";
