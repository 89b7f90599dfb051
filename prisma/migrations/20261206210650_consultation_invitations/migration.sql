
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Consultation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "conveningOrgId" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "place" TEXT NOT NULL,
    "agenda" TEXT NOT NULL,
    "carriedItemIds" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'PLANNED',
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    "rsvpChasedAt" DATETIME,
    "createdById" TEXT NOT NULL,
    "minutesId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Consultation_conveningOrgId_fkey" FOREIGN KEY ("conveningOrgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Consultation_minutesId_fkey" FOREIGN KEY ("minutesId") REFERENCES "Document" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Consultation" ("agenda", "carriedItemIds", "conveningOrgId", "createdAt", "createdById", "endsAt", "id", "kind", "minutesId", "number", "place", "series", "startsAt", "status", "title", "updatedAt") SELECT "agenda", "carriedItemIds", "conveningOrgId", "createdAt", "createdById", "endsAt", "id", "kind", "minutesId", "number", "place", "series", "startsAt", "status", "title", "updatedAt" FROM "Consultation";
DROP TABLE "Consultation";
ALTER TABLE "new_Consultation" RENAME TO "Consultation";
CREATE UNIQUE INDEX "Consultation_minutesId_key" ON "Consultation"("minutesId");
CREATE INDEX "Consultation_startsAt_idx" ON "Consultation"("startsAt");
CREATE UNIQUE INDEX "Consultation_conveningOrgId_series_number_key" ON "Consultation"("conveningOrgId", "series", "number");
CREATE TABLE "new_ConsultationParticipant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "consultationId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT,
    "role" TEXT NOT NULL,
    "attendance" TEXT NOT NULL DEFAULT 'INVITED',
    "absenceReason" TEXT,
    "rsvp" TEXT NOT NULL DEFAULT 'PENDING',
    "rsvpReason" TEXT,
    "delegateUserId" TEXT,
    "rsvpById" TEXT,
    "rsvpAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ConsultationParticipant_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ConsultationParticipant_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ConsultationParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ConsultationParticipant_delegateUserId_fkey" FOREIGN KEY ("delegateUserId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ConsultationParticipant_rsvpById_fkey" FOREIGN KEY ("rsvpById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_ConsultationParticipant" ("absenceReason", "attendance", "consultationId", "createdAt", "id", "orgId", "role", "userId") SELECT "absenceReason", "attendance", "consultationId", "createdAt", "id", "orgId", "role", "userId" FROM "ConsultationParticipant";
DROP TABLE "ConsultationParticipant";
ALTER TABLE "new_ConsultationParticipant" RENAME TO "ConsultationParticipant";
CREATE INDEX "ConsultationParticipant_consultationId_idx" ON "ConsultationParticipant"("consultationId");
CREATE INDEX "ConsultationParticipant_orgId_idx" ON "ConsultationParticipant"("orgId");
CREATE INDEX "ConsultationParticipant_userId_idx" ON "ConsultationParticipant"("userId");
CREATE INDEX "ConsultationParticipant_delegateUserId_idx" ON "ConsultationParticipant"("delegateUserId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
