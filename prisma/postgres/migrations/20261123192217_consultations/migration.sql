-- CreateTable
CREATE TABLE "Consultation" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "series" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "conveningOrgId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "place" TEXT NOT NULL,
    "agenda" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PLANNED',
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Consultation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsultationParticipant" (
    "id" TEXT NOT NULL,
    "consultationId" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "userId" TEXT,
    "role" TEXT NOT NULL,
    "attendance" TEXT NOT NULL DEFAULT 'INVITED',
    "absenceReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsultationParticipant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Consultation_startsAt_idx" ON "Consultation"("startsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Consultation_conveningOrgId_series_number_key" ON "Consultation"("conveningOrgId", "series", "number");

-- CreateIndex
CREATE INDEX "ConsultationParticipant_consultationId_idx" ON "ConsultationParticipant"("consultationId");

-- CreateIndex
CREATE INDEX "ConsultationParticipant_orgId_idx" ON "ConsultationParticipant"("orgId");

-- CreateIndex
CREATE INDEX "ConsultationParticipant_userId_idx" ON "ConsultationParticipant"("userId");

-- AddForeignKey
ALTER TABLE "Consultation" ADD CONSTRAINT "Consultation_conveningOrgId_fkey" FOREIGN KEY ("conveningOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationParticipant" ADD CONSTRAINT "ConsultationParticipant_consultationId_fkey" FOREIGN KEY ("consultationId") REFERENCES "Consultation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationParticipant" ADD CONSTRAINT "ConsultationParticipant_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConsultationParticipant" ADD CONSTRAINT "ConsultationParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
