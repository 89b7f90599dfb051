
-- CreateTable
CREATE TABLE "RecommendationReminder" (
    "recommendationId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "dueDate" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationReminder_pkey" PRIMARY KEY ("recommendationId","stage","dueDate")
);

-- AddForeignKey
ALTER TABLE "RecommendationReminder" ADD CONSTRAINT "RecommendationReminder_recommendationId_fkey" FOREIGN KEY ("recommendationId") REFERENCES "Recommendation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
