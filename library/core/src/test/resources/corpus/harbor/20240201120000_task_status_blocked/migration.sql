-- AlterEnum
ALTER TYPE "TaskStatus" ADD VALUE 'BLOCKED';
