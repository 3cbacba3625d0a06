-- AlterEnum
ALTER TYPE "ExportStatus" ADD VALUE 'EXPIRED';
