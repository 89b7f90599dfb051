
-- CreateTable
CREATE TABLE "LitigationReport" (
    "id" TEXT NOT NULL,
    "courtOrgId" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "quarter" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "bulletinDocumentId" TEXT,
    "submittedAt" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LitigationReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LitigationFigure" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "agencyOrgId" TEXT NOT NULL,
    "filed" INTEGER NOT NULL,
    "concluded" INTEGER NOT NULL,
    "lost" INTEGER NOT NULL,
    "headAppeared" INTEGER NOT NULL,
    "mediatedWithdrawn" INTEGER NOT NULL,

    CONSTRAINT "LitigationFigure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LitigationCase" (
    "id" TEXT NOT NULL,
    "reportId" TEXT NOT NULL,
    "agencyOrgId" TEXT NOT NULL,
    "caseNumber" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "problem" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "LitigationCase_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LitigationReport_bulletinDocumentId_key" ON "LitigationReport"("bulletinDocumentId");

-- CreateIndex
CREATE INDEX "LitigationReport_status_year_quarter_idx" ON "LitigationReport"("status", "year", "quarter");

-- CreateIndex
CREATE UNIQUE INDEX "LitigationReport_courtOrgId_year_quarter_key" ON "LitigationReport"("courtOrgId", "year", "quarter");

-- CreateIndex
CREATE INDEX "LitigationFigure_agencyOrgId_idx" ON "LitigationFigure"("agencyOrgId");

-- CreateIndex
CREATE UNIQUE INDEX "LitigationFigure_reportId_agencyOrgId_key" ON "LitigationFigure"("reportId", "agencyOrgId");

-- CreateIndex
CREATE INDEX "LitigationCase_reportId_position_idx" ON "LitigationCase"("reportId", "position");

-- AddForeignKey
ALTER TABLE "LitigationReport" ADD CONSTRAINT "LitigationReport_courtOrgId_fkey" FOREIGN KEY ("courtOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LitigationReport" ADD CONSTRAINT "LitigationReport_bulletinDocumentId_fkey" FOREIGN KEY ("bulletinDocumentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LitigationFigure" ADD CONSTRAINT "LitigationFigure_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "LitigationReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LitigationFigure" ADD CONSTRAINT "LitigationFigure_agencyOrgId_fkey" FOREIGN KEY ("agencyOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LitigationCase" ADD CONSTRAINT "LitigationCase_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "LitigationReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LitigationCase" ADD CONSTRAINT "LitigationCase_agencyOrgId_fkey" FOREIGN KEY ("agencyOrgId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
