-- AlterTable
ALTER TABLE "User" ADD COLUMN     "tourDismissedAt" TIMESTAMP(3);
