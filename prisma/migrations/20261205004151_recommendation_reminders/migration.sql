
-- CreateTable
CREATE TABLE "RecommendationReminder" (
    "recommendationId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "dueDate" DATETIME NOT NULL,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("recommendationId", "stage", "dueDate"),
    CONSTRAINT "RecommendationReminder_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
