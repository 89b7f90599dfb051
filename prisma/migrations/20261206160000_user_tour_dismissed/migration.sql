-- AlterTable
ALTER TABLE "User" ADD COLUMN "tourDismissedAt" DATETIME;
